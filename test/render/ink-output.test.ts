import {tokenize} from '@alcalzone/ansi-tokenize';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {inkModule, type OutputClass} from './ink-build.js';

// Ink's own output pass (output.js, left in place by the patch, no longer imported by its
// renderer) against the one the patched renderer draws through (kept-rows-output.js).
const {default: InkOutput} = await inkModule('output.js');
const {default: Output} = await inkModule('kept-rows-output.js');
const {forgetRows, rowCacheSizes} = await inkModule('draw-row.js');
const {paintNarrow} = await inkModule('sgr-row.js');
const {isNarrow} = await inkModule('narrow-width.js');

type Clip = Parameters<InstanceType<OutputClass>['clip']>[0];
type Operation =
	| {type: 'write'; x: number; y: number; text: string; transformers: Array<keyof typeof transformers>}
	| {type: 'clip'; clip: Clip}
	| {type: 'unclip'};
type Frame = {width: number; height: number; operations: Operation[]};

const transformers = {
	upper: (line: string) => line.toUpperCase(),
	numbered: (line: string, index: number) => `${index}>${line}`,
	green: (line: string) => `\u001B[32m${line}\u001B[39m`,
};

const fragments = [
	'a', 'job', ' ', '  ', '42', '|', '\t', '漢', '字', '😀', '👩‍👩‍👧', '❤️', '🇯🇵', 'e\u0301', '\u200B', '\n',
	'\u001B[31m', '\u001B[39m', '\u001B[1m', '\u001B[2m', '\u001B[22m', '\u001B[4m', '\u001B[24m', '\u001B[0m',
	'\u001B[42m', '\u001B[49m', '\u001B[38;5;208m', '\u001B[38;2;1;2;3m', '\u001B[1;31m', '\u001B]8;;https://x.test\u0007', '\u001B]8;;\u0007',
];

const text = fc.array(fc.constantFrom(...fragments), {maxLength: 14}).map(parts => parts.join(''));

// Lines the fast way draws (sgr-row.ts): one-column characters and SGR sequences only, styled as
// chalk does (nested open and close pairs) and not (resets, compound codes, odd forms).
const narrowWords = ['job', 'a', ' ', '   ', '42%', '5s', '…', '▁▂▃', '█', '·', '›', 'é', '└ ', '\u00A0'];
const styles = [
	['\u001B[31m', '\u001B[39m'], ['\u001B[32m', '\u001B[39m'], ['\u001B[42m', '\u001B[49m'], ['\u001B[1m', '\u001B[22m'],
	['\u001B[2m', '\u001B[22m'], ['\u001B[7m', '\u001B[27m'], ['\u001B[4m', '\u001B[24m'], ['\u001B[38;5;208m', '\u001B[39m'],
	['\u001B[48;5;17m', '\u001B[49m'], ['\u001B[38;2;1;2;3m', '\u001B[39m'], ['\u001B[48;2;200;100;0m', '\u001B[49m'],
] as const;
const looseCodes = [
	'\u001B[0m', '\u001B[m', '\u001B[1;31m', '\u001B[0;2;4m', '\u001B[;32m', '\u001B[01m', '\u001B[5m', '\u001B[38;5m',
	'\u001B[39;49m', '\u001B[22m', '\u001B[1;38;2;9;9;9;48;5;1m',
];
const {styled} = fc.letrec(tie => ({
	styled: fc.oneof(
		{depthSize: 'small'},
		fc.constantFrom(...narrowWords, ...looseCodes),
		fc.tuple(fc.constantFrom(...styles), fc.array(tie('styled'), {maxLength: 4}))
			.map(([[open, close], inner]) => open + (inner as string[]).join('') + close),
	),
}));
const narrowLine = fc.array(styled, {maxLength: 6}).map(parts => parts.join(''));

/** Frames of writes of `text` among clips, on screens up to `size` columns, some past either edge. */
function frames(text: fc.Arbitrary<string>, names: Array<keyof typeof transformers>, size: number): fc.Arbitrary<Frame> {
	const edge = fc.option(fc.integer({min: -3, max: size + 4}), {nil: undefined});
	const operation: fc.Arbitrary<Operation> = fc.oneof(
		{weight: 6, arbitrary: fc.record({
			type: fc.constant('write' as const),
			x: fc.integer({min: -4, max: size + 4}),
			y: fc.integer({min: -3, max: 12}),
			text,
			transformers: fc.subarray(names),
		})},
		{weight: 1, arbitrary: fc.record({type: fc.constant('clip' as const), clip: fc.record({x1: edge, x2: edge, y1: edge, y2: edge})})},
		{weight: 1, arbitrary: fc.constant({type: 'unclip' as const})},
	);
	return fc.record({width: fc.integer({min: 0, max: size}), height: fc.integer({min: 0, max: 10}), operations: fc.array(operation, {maxLength: 12})});
}

const frame = frames(text, Object.keys(transformers) as Array<keyof typeof transformers>, 20);
// Rows of several styled pieces, some overlapping, nearly all drawn the fast way.
const narrowFrame = frames(fc.array(narrowLine, {minLength: 1, maxLength: 3}).map(lines => lines.join('\n')), ['green', 'numbered'], 40);
const pieces = fc.array(fc.record({x: fc.integer({min: -4, max: 44}), line: narrowLine}), {maxLength: 5});

function draw(Kind: OutputClass, {width, height, operations}: Frame) {
	const output = new Kind({width, height});
	for (const step of operations) {
		if (step.type === 'write') output.write(step.x, step.y, step.text, {transformers: step.transformers.map(name => transformers[name])});
		else if (step.type === 'clip') output.clip(step.clip);
		else output.unclip();
	}
	return output.get();
}

describe("the patched Ink's output pass", () => {
	it('draws every frame byte for byte as Ink does, drawn fresh or from its caches', () => {
		fc.assert(fc.property(fc.oneof(frame, narrowFrame), screen => {
			const expected = draw(InkOutput, screen);
			forgetRows();
			expect(draw(Output, screen)).toEqual(expected);
			expect(draw(Output, screen)).toEqual(expected);
		}), {numRuns: 3000});
	});

	it('draws rows of narrow characters and SGR sequences the fast way, byte for byte as Ink does', () => {
		fc.assert(fc.property(fc.integer({min: 0, max: 40}), pieces, (width, row) => {
			const ink = new InkOutput({width, height: 1});
			for (const {x, line} of row) ink.write(x, 0, line, {transformers: []});
			expect(paintNarrow(width, row)).toEqual(ink.get().output);
		}), {numRuns: 3000});
	});

	it('draws a row far wider than a terminal as Ink does, and the next narrow row too', () => {
		// One style 20,000 cells long: more than one call's worth of arguments, and more cells than
		// are kept between rows.
		const wide = `\u001B[32m${'ab'.repeat(10_000)}\u001B[39m\u001B[1m!\u001B[22m`;
		const ink = new InkOutput({width: 20_002, height: 1});
		ink.write(3, 0, wide, {transformers: []});
		expect(paintNarrow(20_002, [{x: 3, line: wide}])).toEqual(ink.get().output);
		const narrow = new InkOutput({width: 10, height: 1});
		narrow.write(0, 0, '\u001B[31mok\u001B[39m', {transformers: []});
		expect(paintNarrow(10, [{x: 0, line: '\u001B[31mok\u001B[39m'}])).toEqual(narrow.get().output);
	});

	it('leaves rows with anything else to the exact way', () => {
		for (const line of ['漢', 'a\tb', 'e\u0301', '\u001B]8;;https://x.test\u0007a', '\u001B[?25l', '\u001B[31', 'a\u001B', '\u009B31m'])
			expect(paintNarrow(10, [{x: 0, line: 'ok'}, {x: 3, line}])).toBeUndefined();
	});

	// The fast way counts on this: the tokenizer splits such a line into exactly its characters
	// and sequences, whatever sits beside them.
	it('finds every one-column character a grapheme of its own, beside escapes and other characters', () => {
		for (let code = 0; code <= 0xFFFF; code++) {
			const character = String.fromCharCode(code);
			if (!isNarrow(character)) continue;
			const tokens = tokenize(`m${character}\u001B[1;31m${character}${character}\u001B[m${character}a`);
			expect(tokens.map(token => (token.type === 'char' ? token.value : token.code)))
				.toEqual(['m', character, '\u001B[1m', '\u001B[31m', character, character, '\u001B[m', character, 'a']);
		}
	});

	it('draws a dashboard-like screen whose rows change between frames', () => {
		const rowText = (row: number, tick: number) => `\u001B[32m●\u001B[39m job-${row} \u001B[1m${row % 7 === tick % 7 ? tick : 0}%\u001B[22m 漢字 ${'█'.repeat(row % 9)}`;
		for (let tick = 0; tick < 20; tick++) {
			const screen: Frame = {width: 40, height: 30, operations: []};
			for (let row = 0; row < 28; row++) screen.operations.push({type: 'write', x: 1, y: row, text: rowText(row, tick), transformers: []});
			screen.operations.push({type: 'write', x: 30, y: 3, text: `tick ${tick}\nlast`, transformers: ['green']});
			expect(draw(Output, screen)).toEqual(draw(InkOutput, screen));
		}
	});

	it('never mistakes one row for another, even when a transformer puts a line break in a line', () => {
		const drawBoth = (writes: Array<[number, string, Array<(line: string) => string>]>) => [InkOutput, Output].map(Kind => {
			const output = new Kind({width: 10, height: 1});
			for (const [x, line, lineTransformers] of writes) output.write(x, 0, line, {transformers: lineTransformers});
			return output.get();
		});
		const [inkJoined, oursJoined] = drawBoth([[0, 'a', [() => 'a\n5\nb']]]);
		const [inkApart, oursApart] = drawBoth([[0, 'a', []], [5, 'b', []]]);
		expect(oursJoined).toEqual(inkJoined);
		expect(oursApart).toEqual(inkApart);
		expect(oursApart).not.toEqual(oursJoined);
	});

	it('keeps its caches bounded however many distinct rows it draws', () => {
		for (let index = 0; index < 8000; index++) {
			const wide = String.fromCodePoint(0x4E00 + index);
			const screen: Frame = {width: 30, height: 2, operations: [
				{type: 'write', x: 0, y: 0, text: `row ${index} ${wide} \u001B[31m${'x'.repeat(index % 20)}\u001B[39m`, transformers: []},
				// Narrow, in a true colour of its own: the fast way remembers a style for each.
				{type: 'write', x: 0, y: 1, text: `\u001B[38;2;${index % 256};${index >> 8};9mrow ${index}\u001B[39m`, transformers: []},
			]};
			expect(draw(Output, screen)).toEqual(draw(InkOutput, screen));
		}
		const sizes = rowCacheSizes();
		expect(sizes.rows).toBeGreaterThan(0);
		expect(sizes.rows).toBeLessThanOrEqual(2000);
		expect(sizes.rowUnits).toBeLessThanOrEqual(500_000);
		expect(sizes.lines).toBeLessThan(8000);
		expect(sizes.lineUnits).toBeLessThanOrEqual(20_000);
		expect(sizes.widths).toBeLessThanOrEqual(2000);
		// 5000, and at most one row's worth before the next row lets them go.
		expect(sizes.styles).toBeGreaterThan(0);
		expect(sizes.styles).toBeLessThanOrEqual(5100);
	});
});
