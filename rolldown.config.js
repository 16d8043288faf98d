// The published program: what tsc wrote to dist/, bundled with its libraries into
// dist/bin/sentinel-tui.js plus the chunks the other modes load on demand. One file to read and
// compile instead of some 900 starts the dashboard in a third of the time (docs/design.md),
// and `npx sentinel-tui` downloads one package instead of seventy. The libraries go in as npm
// installed them: what this program changes in them is in patches/ (patch-package, applied at
// install), so the tests run the code that ships; here nothing is swapped or rewritten.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {defineConfig} from 'rolldown';

// fileURLToPath, not the URL's pathname: a clone under a folder with a space in its name is %20 there.
const root = path.dirname(fileURLToPath(import.meta.url));

/** The name, version, licence and licence text of every package the bundle holds, for its notices. */
function thirdPartyNotices(moduleIds) {
	const packages = new Map();
	for (const id of moduleIds) {
		const match = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(id);
		if (match && !packages.has(match[1])) packages.set(match[1], JSON.parse(fs.readFileSync(path.join(match[1], 'package.json'), 'utf8')));
	}
	const sections = [...packages].map(([dir, manifest]) => {
		const licenceFile = fs.readdirSync(dir).find(name => /^(licen[cs]e|copying)/i.test(name));
		const text = licenceFile ? fs.readFileSync(path.join(dir, licenceFile), 'utf8').trim() : `Licence: ${manifest.license ?? 'see the package'}`;
		return `## ${manifest.name} ${manifest.version} (${manifest.license ?? 'unknown'})\n\n${text}\n`;
	});
	return `# Third-party software in dist/bin\n\n${sections.sort().join('\n')}`;
}

/** The demo's job scripts, each run by `node` alone: entries of their own, in dist/bin/demo-jobs/. */
const demoJobs = Object.fromEntries(
	fs
		.readdirSync(path.join(root, 'source/commands/demo/jobs'))
		.map(file => path.basename(file, '.ts'))
		.filter(name => name !== 'index' && name !== 'lifetime')
		.map(name => [`demo-jobs/${name}`, `dist/commands/demo/jobs/${name}.js`]),
);

/**
 * Node's flags for the program, set by its first lines (see the banner). Left to itself, V8 lets
 * a small heap grow to several times its live size and keeps what it grew: 130 MB with 1,000
 * jobs, against a budget of 100. Semi-spaces of 2 MB, not 1: at 1 MB two frames in five waited on
 * a scavenge. One helper thread for V8's background work: a heap this small gains nothing from
 * parallel collection, and on two cores the hand-offs slowed the slowest frames. `gc` exposed:
 * the engine's modes collect their heap every 20 s (source/runtime/collect-garbage.ts). The
 * figures are in docs/design.md.
 */
export const nodeFlags = ['--max-semi-space-size=2', '--heap-growing-percent=30', '--v8-pool-size=1', '--expose-gc'];

/**
 * Shell that moves NODE_EXTRA_CA_CERTS aside before node starts, to the name
 * source/runtime/ca-certs-handoff.ts restores it from (test/runtime/ca-certs-handoff.test.ts).
 */
export const caCertsAside = '[ -z "${NODE_EXTRA_CA_CERTS+set}" ] || export SENTINEL_TUI_NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS"; unset NODE_EXTRA_CA_CERTS;';

export default defineConfig({
	input: {'sentinel-tui': 'dist/cli.js', ...demoJobs},
	platform: 'node',
	// `npm run build` bundles in a fresh folder (.build-*, linked to node_modules) and renames it
	// over dist/, so nothing reading dist/ finds it gone: paths are the working folder's, and a
	// library keeps its node_modules/ name (in the bundle's module comments) through the link.
	resolve: {symlinks: false},
	// React and its reconciler pick their production build by NODE_ENV when loaded; fix it here.
	transform: {define: {'process.env.NODE_ENV': '"production"'}},
	// Ink loads react-devtools-core only when DEV=true; it is not a dependency.
	external: ['react-devtools-core'],
	plugins: [
		{
			name: 'third-party-notices',
			generateBundle() {
				this.emitFile({type: 'asset', fileName: 'THIRD-PARTY-NOTICES.md', source: thirdPartyNotices(this.getModuleIds())});
			},
		},
	],
	output: {
		dir: 'dist/bin',
		format: 'esm',
		minify: false,
		// V8 keeps every module's source as a string for as long as the program runs, in two bytes a
		// character if one of them is not ASCII: escaped, and without the libraries' doc comments
		// (where the rest of the dashes and arrows were), the sources take half the memory.
		charset: 'ascii',
		comments: {legal: true, annotation: true, jsdoc: false},
		entryFileNames: '[name].js',
		chunkFileNames: 'chunks/[name]-[hash].js',
		// Node takes V8 flags only on its command line, so the program starts as a shell script that
		// runs itself with node: to the shell, line two runs /bin/true and then node; to JavaScript
		// it is a comment.
		// It also moves NODE_EXTRA_CA_CERTS aside for node's start (source/runtime/ca-certs-handoff.ts).
		banner: chunk => (chunk.name === 'sentinel-tui' ? `#!/bin/sh\n//bin/true; ${caCertsAside} exec node ${nodeFlags.join(' ')} "$0" "$@"` : ''),
	},
});
