import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {describe, expect, it} from 'vitest';
import widestLineOriginal from 'widest-line';
import measureText, {measureCacheSize} from '../../source/render/measure-text.js';
import widestLine from '../../source/render/widest-line.js';
import {runCli} from '../helpers/cli.js';
import {makeTempDir} from '../helpers/temp-dir.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Ink 6.8's modules that rolldown.config.js replaces, and ours that stand in for them. */
const standIns = [
	{theirs: 'ink/build/measure-text.js', ours: 'measure-text.js'},
	{theirs: 'ink/build/output.js', ours: 'ink-output.js'},
	{theirs: 'widest-line/index.js', ours: 'widest-line.js'},
];

const samples = [
	'',
	'plain ascii',
	'two\nlines, the second longer',
	'\u001B[31mred\u001B[39m and plain',
	'wide 漢字 characters',
	'emoji 👩‍👩‍👧 family',
	'combining e\u0301 accent',
	'\u001B[1mbold\u001B[22m\n漢字\nascii line',
	'tab\tinside',
];

describe('the stand-ins for Ink internals', () => {
	it('measure every width exactly as widest-line does', () => {
		for (const text of samples) expect(widestLine(text), JSON.stringify(text)).toBe(widestLineOriginal(text));
	});

	it('measure text as Ink does, and keep at most a bounded cache', () => {
		for (const text of samples) {
			expect(measureText(text), JSON.stringify(text)).toEqual(text === '' ? {width: 0, height: 0} : {width: widestLineOriginal(text), height: text.split('\n').length});
		}
		for (let index = 0; index < 10_000; index++) measureText(`counter ${index}`);
		expect(measureText('counter 9999')).toEqual({width: 12, height: 1});
		expect(measureCacheSize().strings).toBeLessThanOrEqual(4000);
		// Whole screens, as the job table is one text: a few hundred of them are not all kept.
		const row = `${'x'.repeat(118)}\n`;
		for (let index = 0; index < 300; index++) measureText(`${index}\n${row.repeat(40)}`);
		expect(measureText(`299\n${row.repeat(40)}`)).toEqual({width: 118, height: 42});
		expect(measureCacheSize().units).toBeLessThanOrEqual(200_000);
	});

	it('are what the shipped bundle holds in place of Ink\'s own, and the bundle still draws', async () => {
		const chunks = path.join(root, 'dist', 'bin', 'chunks');
		// rolldown marks where each module begins with a `// <path>` line.
		const modules = fs
			.readdirSync(chunks)
			.flatMap(file => fs.readFileSync(path.join(chunks, file), 'utf8').match(/^\/\/ (?:dist|node_modules)\/\S+\.js$/gm) ?? []);
		for (const standIn of standIns) {
			expect(modules, standIn.ours).toContain(`// dist/render/${standIn.ours}`);
			expect(modules, standIn.theirs).not.toContain(`// node_modules/${standIn.theirs}`);
		}
		// `status` draws its table with Ink, through the stand-ins.
		const jobsDir = makeTempDir('sentinel-jobs-');
		fs.mkdirSync(path.join(jobsDir, 'one-job'));
		fs.writeFileSync(path.join(jobsDir, 'one-job', 'job_manifest.json'), JSON.stringify({job_id: 'one-job', status: 'PENDING'}));
		const table = await runCli(['status', jobsDir]);
		expect(table.code).toBe(0);
		expect(table.stdout).toContain('│ one-job ');
	});
});

describe("the bundle's string-width", () => {
	it('measures emoji sequences as string-width does, its emoji test made on first use', async () => {
		// rolldown.config.js is plain JavaScript, typed by nothing: imported by a path TypeScript does not follow.
		const configPath = path.join(root, 'rolldown.config.js');
		const {lazyEmojiTest} = (await import(configPath)) as {lazyEmojiTest: {transform: (code: string, id: string) => string | null}};
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
		for (const text of ['\u{1F1EF}\u{1F1F5}', '\u263A\uFE0F', '\u2764\uFE0F', '👍🏽', '👩‍👩‍👧', 'ascii', '漢字', ...samples]) {
			expect(lazyWidth(text), JSON.stringify(text)).toBe(stringWidth(text));
		}
		expect(lazyWidth('\u{1F1EF}\u{1F1F5}')).toBe(2);
	});
});

describe('textWidth', () => {
	it('agrees with string-width on every character it counts as one column', async () => {
		const {default: stringWidth} = await import('string-width');
		const {isNarrow} = await import('../../source/text/width.js');
		let checked = 0;
		for (let code = 0; code <= 0xffff; code++) {
			const character = String.fromCharCode(code);
			if (!isNarrow(character)) continue;
			expect(stringWidth(character), `U+${code.toString(16)}`).toBe(1);
			checked++;
		}
		expect(checked).toBeGreaterThan(1000);
	});
});
