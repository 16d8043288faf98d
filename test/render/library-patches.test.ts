import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import fc from 'fast-check';
import meow from 'meow';
import stringWidth from 'string-width';
import {afterEach, describe, expect, it} from 'vitest';
import {tokenize} from '@alcalzone/ansi-tokenize';
import {tokenize as publishedTokenize} from './fixtures/ansi-tokenize-0.2.5/tokenize.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const patches = fs.readdirSync(path.join(root, 'patches')).filter(name => name.endsWith('.patch'));

describe('patches/', () => {
	it('holds each library change, and rolldown.config.js swaps or rewrites no module', async () => {
		const source = fs.readFileSync(path.join(root, 'rolldown.config.js'), 'utf8');
		expect(source).not.toMatch(/resolveId|transform\s*\(|\bload\s*\(/);
		// rolldown.config.js is plain JavaScript, typed by nothing: imported by a path TypeScript does not follow.
		const {default: config} = (await import(path.join(root, 'rolldown.config.js'))) as {default: {plugins: Array<Record<string, unknown>>}};
		for (const plugin of config.plugins) for (const hook of ['resolveId', 'load', 'transform', 'renderChunk']) expect(plugin, String(plugin['name'])).not.toHaveProperty(hook);
		expect(patches.length).toBeGreaterThan(0);
	});

	it('names the version installed of every library it patches', () => {
		for (const patch of patches) {
			// patch-package's names: `@scope+name+1.2.3.patch`, a nested package as `parent++name+1.2.3.patch`.
			const match = /^(.+)\+([^+]+)\.patch$/.exec(patch);
			expect(match, patch).not.toBeNull();
			const folder = match![1]!.split('++').map(name => name.replace(/^(@[^+]+)\+/, '$1/')).join('/node_modules/');
			const installed = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', folder, 'package.json'), 'utf8')) as {version: string};
			expect(installed.version, patch).toBe(match![2]);
		}
	});
});

describe('the patched libraries', () => {
	it('load, and draw a frame of one-column text, without a segmenter, an emoji table or fetch; wide text makes them on first use', () => {
		// A process of its own: this one has made segmenters already.
		const script = `
			let segmenters = 0;
			let emojiTests = 0;
			Intl.Segmenter = class extends Intl.Segmenter { constructor(...options) { super(...options); segmenters++; } };
			globalThis.RegExp = new Proxy(RegExp, {construct(target, args) { if (String(args[0]).includes('RGI_Emoji')) emojiTests++; return new target(...args); }});
			const {default: React} = await import('react');
			const {renderToString, Box, Text} = await import('ink');
			const text = (props, line) => React.createElement(Text, props, line);
			const drawn = renderToString(React.createElement(Box, {flexDirection: 'column'}, text({color: 'green'}, '│ job ▁▂ 42%'), text({bold: true}, 'plain — ›')));
			const frame = {segmenters, emojiTests};
			renderToString(text({}, '漢字 👍🏽'));
			const undici = process.moduleLoadList.some(name => name.includes('undici'));
			console.log(JSON.stringify({frame, wide: {segmenters, emojiTests}, undici, drawn}));`;
		const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {cwd: root, encoding: 'utf8', env: {...process.env, FORCE_COLOR: '1'}, timeout: 20_000});
		expect(run.stderr).toBe('');
		const seen = JSON.parse(run.stdout) as {frame: {segmenters: number; emojiTests: number}; wide: {segmenters: number; emojiTests: number}; undici: boolean; drawn: string};
		expect(seen.drawn).toBe('\u001B[32m│ job ▁▂ 42%\u001B[39m\n\u001B[1mplain — ›\u001B[22m');
		expect(seen.frame).toEqual({segmenters: 0, emojiTests: 0});
		expect(seen.wide.segmenters).toBeGreaterThan(0);
		expect(seen.wide.emojiTests).toBe(1);
		// yoga-layout's wasm, decoded from the base64 in its module rather than fetched.
		expect(seen.undici).toBe(false);
	});

	it('string-width measures as published', () => {
		// Flags and emoji with a variation selector are two columns only as RGI emoji sequences.
		const widths = ['\u{1F1EF}\u{1F1F5}', '\u263A\uFE0F', '\u2764\uFE0F', '👍🏽', '👩‍👩‍👧', 'ascii', '漢字', 'e\u0301', '\u001B[31m漢\u001B[39m'].map(text => stringWidth(text));
		expect(widths).toEqual([2, 2, 2, 2, 2, 5, 4, 1, 2]);
	});

	it('meow normalizes package.json on its first read', () => {
		const cli = meow('', {importMeta: import.meta, argv: [], flags: {}});
		expect(cli.pkg).toMatchObject({name: 'sentinel-tui', _id: `sentinel-tui@${cli.pkg.version}`});
	});
});

const sgrParameters = fc.oneof(
	fc.nat(109).map(String),
	fc.tuple(fc.constantFrom('38', '48', '58'), fc.nat(255)).map(([kind, colour]) => `${kind};5;${colour}`),
	fc.tuple(fc.constantFrom('38', '48'), fc.nat(255), fc.nat(255), fc.nat(255)).map(([kind, r, g, b]) => `${kind};2;${r};${g};${b}`),
	fc.constant(''),
);
const sgr = fc.array(sgrParameters, {minLength: 1, maxLength: 4}).map(parts => `\u001B[${parts.join(';')}m`);

describe("ansi-tokenize's tokenize", () => {
	const RealSegment = Intl.Segmenter.prototype.segment;
	afterEach(() => {
		Intl.Segmenter.prototype.segment = RealSegment;
	});

	it('tokenizes a lone SGR sequence as published, without the segmenter', () => {
		let segmented = 0;
		Intl.Segmenter.prototype.segment = function (this: Intl.Segmenter, text: string) {
			segmented++;
			return RealSegment.call(this, text);
		};
		for (const sequence of [...fc.sample(sgr, 500), '\u001B[0m', '\u001B[m', '\u001B[1;31;42m', '\u001B[38;5;208m', '\u001B[48;2;1;2;3;4m']) {
			segmented = 0;
			const ours = tokenize(sequence);
			expect(segmented, JSON.stringify(sequence)).toBe(0);
			expect(ours, JSON.stringify(sequence)).toEqual(publishedTokenize(sequence));
		}
		// Anything more than one sequence goes through the segmenter, as published.
		segmented = 0;
		expect(tokenize('\u001B[31mred')).toEqual(publishedTokenize('\u001B[31mred'));
		expect(segmented).toBe(2);
	});

	it('tokenizes anything else as published', () => {
		const text = fc.array(fc.oneof(sgr, fc.string(), fc.constantFrom('\u001B[', '\u001B[31', '\u001B]8;;https://x\u0007', '漢字', '👍🏽', '\u009B31m')), {maxLength: 6}).map(parts => parts.join(''));
		fc.assert(
			fc.property(text, fc.option(fc.nat(20), {nil: undefined}), (value, endChar) => {
				expect(tokenize(value, endChar)).toEqual(publishedTokenize(value, endChar));
			}),
			{numRuns: 2000},
		);
	});
});
