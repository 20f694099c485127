// Empties dist/ before a build, so that a file whose source was renamed or removed can never be packed.
require('node:fs').rmSync(require('node:path').join(__dirname, '..', 'dist'), { recursive: true, force: true });
