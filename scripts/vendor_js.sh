#!/usr/bin/env bash
# Reproduce the browser libraries the explorer serves from static/vendor.
# Versions are pinned in package.json / package-lock.json; run from anywhere.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/src/factiongraph/web/static/vendor"
cd "$root"
npm ci --no-audit --no-fund --ignore-scripts
mkdir -p "$dest"
copy() {  # package, built file, target name
  cp "node_modules/$1/$2" "$dest/$3"
  cp "node_modules/$1/LICENSE" "$dest/$1.LICENSE"
}
copy cytoscape dist/cytoscape.min.js cytoscape.min.js
copy layout-base layout-base.js layout-base.js
copy cose-base cose-base.js cose-base.js
copy cytoscape-fcose cytoscape-fcose.js cytoscape-fcose.js
node -e 'const l=require("./package-lock.json").packages;for(const[k,v]of Object.entries(l))if(k)console.log(k.replace("node_modules/",""),v.version)' \
  > "$dest/VERSIONS.txt"
echo "vendored into $dest:"
cat "$dest/VERSIONS.txt"
