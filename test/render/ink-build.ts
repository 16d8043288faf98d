import {createRequire} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';

// Ink's exports map hides its build/ modules, so they are loaded by path: the files npm installed
// and patches/ink+6.8.0.patch changed, which are what the tests render through and the bundle holds.
export const inkBuild = path.dirname(createRequire(import.meta.url).resolve('ink'));

type Clip = {x1?: number; x2?: number; y1?: number; y2?: number};
type Transformer = (line: string, index: number) => string;

/** Ink's Output contract: output.js's, and kept-rows-output.js's, the one the patched renderer uses. */
export type Output = {
	write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void;
	clip(clip: Clip): void;
	unclip(): void;
	get(): {output: string; height: number};
};
export type OutputClass = new (options: {width: number; height: number}) => Output;
export type Piece = {x: number; line: string};

type Modules = {
	'output.js': {default: OutputClass};
	'kept-rows-output.js': {default: OutputClass};
	'draw-row.js': {
		drawRow: (width: number, pieces: Piece[]) => string;
		forgetRows: () => void;
		rowCacheSizes: () => {rows: number; rowUnits: number; lines: number; lineUnits: number; widths: number; styles: number};
	};
	'sgr-row.js': {paintNarrow: (width: number, pieces: Piece[]) => string | undefined};
	'narrow-width.js': {isNarrow: (text: string) => boolean; textWidth: (text: string) => number; widestLine: (text: string) => number};
	'measure-text.js': {default: (text: string) => {width: number; height: number}; measureCacheSize: () => {strings: number; units: number}};
};

/** One module of Ink's build, typed as the tests use it. */
export async function inkModule<Name extends keyof Modules>(name: Name): Promise<Modules[Name]> {
	return (await import(pathToFileURL(path.join(inkBuild, name)).href)) as Modules[Name];
}
