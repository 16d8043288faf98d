import {spawnSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import widestLineOriginal from 'widest-line';
import measureText from '../../source/startup/measure-text.js';
import widestLine from '../../source/startup/widest-line.js';

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
	});

	it('are what Ink loads once the hooks are registered, and Ink still draws', () => {
		const script = `
			const {registerFastImports} = await import(${JSON.stringify(new URL('../../dist/startup/fast-imports.js', import.meta.url).href)});
			registerFastImports();
			const {renderToString, Text} = await import('ink');
			const React = (await import('react')).default;
			console.log(renderToString(React.createElement(Text, {color: 'red'}, 'drawn 漢字')));
		`;
		const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8', env: {...process.env, NODE_ENV: 'production', FORCE_COLOR: '0'}});
		expect(result.stderr).toBe('');
		expect(result.stdout.trim()).toBe('drawn 漢字');
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
