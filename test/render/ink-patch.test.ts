import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import widestLineOriginal from 'widest-line';
import stringWidth from 'string-width';
import {isNarrow as ourIsNarrow} from '../../source/text/width.js';
import {makeFakeEngine, makeJob, makeSnapshot} from '../ui/fake-engine.js';
import {renderApp} from '../ui/render-app.js';
import {runCli} from '../helpers/cli.js';
import {makeTempDir} from '../helpers/temp-dir.js';
import {inkBuild, inkModule} from './ink-build.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const {default: measureText, measureCacheSize} = await inkModule('measure-text.js');
const {isNarrow, widestLine} = await inkModule('narrow-width.js');
const {forgetRows, rowCacheSizes} = await inkModule('draw-row.js');

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
	'│ box ▁▂▃ — ›',
];

describe('Ink as patched by patches/ink+6.8.0.patch', () => {
	it('draws the real App in ink-testing-library through its kept-rows output pass', async () => {
		forgetRows();
		const engine = makeFakeEngine(makeSnapshot({jobs: [makeJob({id: 'alpha', severity: 'medium'})]}));
		const screen = await renderApp(engine, {columns: 100, rows: 24});
		expect(screen.frame()).toContain('alpha');
		// Ink's own output.js keeps nothing between frames: these rows were drawn by the patch.
		expect(rowCacheSizes().rows).toBeGreaterThan(0);
	});

	it('measures every width exactly as widest-line does', () => {
		for (const text of samples) expect(widestLine(text), JSON.stringify(text)).toBe(widestLineOriginal(text));
	});

	it('measures text as Ink does, and keeps a bounded cache', () => {
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

	it('counts as one column exactly the characters our own drawing does, each one column to string-width', () => {
		let checked = 0;
		for (let code = 0; code <= 0xffff; code++) {
			const character = String.fromCharCode(code);
			expect(isNarrow(character), `U+${code.toString(16)}`).toBe(ourIsNarrow(character));
			if (!isNarrow(character)) continue;
			expect(stringWidth(character), `U+${code.toString(16)}`).toBe(1);
			checked++;
		}
		expect(checked).toBeGreaterThan(1000);
	});

	it('is what the shipped bundle holds, and the bundle still draws', async () => {
		const chunks = path.join(root, 'dist', 'bin', 'chunks');
		// rolldown marks where each module begins with a `// <path>` line.
		const modules = fs
			.readdirSync(chunks)
			.flatMap(file => fs.readFileSync(path.join(chunks, file), 'utf8').match(/^\/\/ node_modules\/\S+\.js$/gm) ?? []);
		for (const patched of ['kept-rows-output.js', 'draw-row.js', 'sgr-row.js', 'narrow-width.js', 'measure-text.js', 'renderer.js']) {
			expect(modules, patched).toContain(`// node_modules/ink/build/${patched}`);
		}
		// Ink's own output pass and the widest-line package are no longer reached.
		expect(modules).not.toContain('// node_modules/ink/build/output.js');
		expect(modules).not.toContain('// node_modules/widest-line/index.js');
		// `status` draws its table with Ink.
		const jobsDir = makeTempDir('sentinel-jobs-');
		fs.mkdirSync(path.join(jobsDir, 'one-job'));
		fs.writeFileSync(path.join(jobsDir, 'one-job', 'job_manifest.json'), JSON.stringify({job_id: 'one-job', status: 'PENDING'}));
		const table = await runCli(['status', jobsDir]);
		expect(table.code).toBe(0);
		expect(table.stdout).toContain('│ one-job ');
	});

	it('is installed patched: its renderer imports the kept-rows output pass', () => {
		// A clone whose `npm ci` did not run patch-package would render through output.js.
		expect(fs.readFileSync(path.join(inkBuild, 'renderer.js'), 'utf8')).toContain("import Output from './kept-rows-output.js';");
	});
});
