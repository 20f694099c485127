const { src, dest, parallel } = require('gulp');

/** Copies the SVG icons next to the compiled nodes and credentials, where `file:` icon paths point. */
function buildIcons() {
	return src('icons/**/*.svg').pipe(dest('dist/icons'));
}

/** Codex files (categories, aliases, docs links) sit beside each compiled node. */
function buildCodex() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

exports['build:icons'] = parallel(buildIcons, buildCodex);
