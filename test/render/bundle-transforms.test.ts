import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';
import {fileURLToPath, pathToFileURL} from 'node:url';
import fc from 'fast-check';
import {afterEach, describe, expect, it} from 'vitest';
import {tokenize} from '@alcalzone/ansi-tokenize';
import {makeTempDir} from '../helpers/temp-dir.js';

type Transform = {transform: (code: string, id: string) => string | null};

const root = fileURLToPath(new URL('../../', import.meta.url));
// rolldown.config.js is plain JavaScript, typed by nothing: imported by a path TypeScript does not follow.
const config = (await import(path.join(root, 'rolldown.config.js'))) as {lazySegmenters: Transform; sgrWithoutSegmenter: Transform; lazyEmojiTest: Transform};

/** The library's tokenize.js as the bundle holds it (both transforms, in the bundle's order), its imports pointed at the files it imports. */
async function bundledTokenize(): Promise<typeof tokenize> {
	const id = path.join(path.dirname(fileURLToPath(import.meta.resolve('@alcalzone/ansi-tokenize'))), 'tokenize.js');
	const lazy = config.lazySegmenters.transform(fs.readFileSync(id, 'utf8'), id);
	const code = lazy === null ? null : config.sgrWithoutSegmenter.transform(lazy, id);
	expect(code).not.toBeNull();
	const near = (name: string) => pathToFileURL(name.startsWith('.') ? path.join(path.dirname(id), name) : createRequire(id).resolve(name)).href;
	const copy = path.join(makeTempDir('sentinel-tokenize-'), 'tokenize.mjs');
	fs.writeFileSync(copy, code!.replace('from "is-fullwidth-code-point"', `from "${near('is-fullwidth-code-point')}"`).replace('from "./ansiCodes.js"', `from "${near('./ansiCodes.js')}"`).replace(/^\/\/# sourceMappingURL=.*$/m, ''));
	return ((await import(pathToFileURL(copy).href)) as {tokenize: typeof tokenize}).tokenize;
}

const sgrParameters = fc.oneof(
	fc.nat(109).map(String),
	fc.tuple(fc.constantFrom('38', '48', '58'), fc.nat(255)).map(([kind, colour]) => `${kind};5;${colour}`),
	fc.tuple(fc.constantFrom('38', '48'), fc.nat(255), fc.nat(255), fc.nat(255)).map(([kind, r, g, b]) => `${kind};2;${r};${g};${b}`),
	fc.constant(''),
);
const sgr = fc.array(sgrParameters, {minLength: 1, maxLength: 4}).map(parts => `\u001B[${parts.join(';')}m`);

/** Put another Intl.Segmenter in place (typed read-only, but a plain writable property). */
function setSegmenter(segmenter: typeof Intl.Segmenter): void {
	(Intl as {Segmenter: typeof Intl.Segmenter}).Segmenter = segmenter;
}

describe("the bundle's ansi-tokenize", () => {
	const RealSegmenter = Intl.Segmenter;
	afterEach(() => {
		setSegmenter(RealSegmenter);
	});

	it('tokenizes a lone SGR sequence as the library does, without making a segmenter', async () => {
		const bundled = await bundledTokenize();
		let made = 0;
		setSegmenter(
			class extends RealSegmenter {
				constructor(...options: ConstructorParameters<typeof Intl.Segmenter>) {
					super(...options);
					made++;
				}
			},
		);
		const lone = fc.sample(sgr, 500);
		for (const sequence of [...lone, '\u001B[0m', '\u001B[m', '\u001B[1;31;42m', '\u001B[38;5;208m', '\u001B[48;2;1;2;3;4m']) {
			expect(bundled(sequence), JSON.stringify(sequence)).toEqual(tokenize(sequence));
		}
		// tokenize() above, the library's own, made its segmenter when its module was loaded.
		expect(made).toBe(0);
		// Anything else makes the segmenter, on its first use.
		expect(bundled('\u001B[31mred')).toEqual(tokenize('\u001B[31mred'));
		expect(made).toBe(1);
	});

	it('tokenizes anything else as the library does', async () => {
		const bundled = await bundledTokenize();
		const text = fc.array(fc.oneof(sgr, fc.string(), fc.constantFrom('\u001B[', '\u001B[31', '\u001B]8;;https://x\u0007', '漢字', '👍🏽', '\u009B31m')), {maxLength: 6}).map(parts => parts.join(''));
		fc.assert(
			fc.property(text, fc.option(fc.nat(20), {nil: undefined}), (value, endChar) => {
				expect(bundled(value, endChar)).toEqual(tokenize(value, endChar));
			}),
			{numRuns: 2000},
		);
	});
});

describe("the bundle's string-width", () => {
	it('measures emoji sequences as string-width does, its emoji test made on first use', async () => {
		const {lazyEmojiTest} = config;
		const id = fileURLToPath(import.meta.resolve('string-width'));
		const lazy = lazyEmojiTest.transform(fs.readFileSync(id, 'utf8'), id);
		expect(lazy).not.toBeNull();
		expect(lazy).not.toMatch(/\/\^\\p\{RGI_Emoji\}\$\/v/);
		// The transformed module, its imports pointed at the packages string-width itself imports.
		const copy = path.join(makeTempDir('sentinel-width-'), 'string-width.mjs');
		const resolved = (name: string) => pathToFileURL(createRequire(id).resolve(name)).href;
		fs.writeFileSync(copy, lazy!.replace("from 'strip-ansi'", `from '${resolved('strip-ansi')}'`).replace("from 'get-east-asian-width'", `from '${resolved('get-east-asian-width')}'`));
		const {default: lazyWidth} = (await import(pathToFileURL(copy).href)) as {default: (text: string) => number};
		const {default: stringWidth} = await import('string-width');
		// Flags and emoji with a variation selector are two columns only as RGI emoji sequences.
		for (const text of ['\u{1F1EF}\u{1F1F5}', '\u263A\uFE0F', '\u2764\uFE0F', '👍🏽', '👩‍👩‍👧', 'ascii', '漢字', 'wide 漢字 characters', 'emoji 👩‍👩‍👧 family', 'combining e\u0301 accent', 'tab\tinside', '\u001B[31mred\u001B[39m']) {
			expect(lazyWidth(text), JSON.stringify(text)).toBe(stringWidth(text));
		}
		expect(lazyWidth('\u{1F1EF}\u{1F1F5}')).toBe(2);
	});
});
