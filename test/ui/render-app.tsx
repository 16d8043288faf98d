import {render} from 'ink-testing-library';
import {onTestFinished} from 'vitest';
import {App} from '../../source/ui/App.js';
import type {FakeEngine} from './fake-engine.js';

/** Let Ink read input and draw: a frame lands after a macrotask (Escape after one more). */
export async function settle(): Promise<void> {
	for (let index = 0; index < 3; index++) await new Promise(resolve => setImmediate(resolve));
}

export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	enter: '\r',
	escape: '\u001B',
	backspace: '\u007F',
};

export type Screen = {
	/** The last frame, as text. */
	frame: () => string;
	/** Type keys one at a time, letting the screen draw after each. */
	press: (...inputs: string[]) => Promise<void>;
	resize: (columns: number, rows: number) => Promise<void>;
	/** Let a new snapshot reach the screen. */
	settle: () => Promise<void>;
	quits: () => number;
	unmount: () => void;
};

/**
 * The App in ink-testing-library, at a chosen terminal size. The library's stdout reports 100
 * columns and no rows; the size is set on that stream and announced with 'resize', as a terminal does.
 */
export async function renderApp(engine: FakeEngine, options: {columns?: number; rows?: number; ascii?: boolean; color?: boolean} = {}): Promise<Screen> {
	let quits = 0;
	const instance = render(<App engine={engine} ascii={options.ascii ?? false} color={options.color ?? false} onQuit={() => quits++} />);
	onTestFinished(() => instance.unmount());
	const resize = async (columns: number, rows: number) => {
		Object.defineProperty(instance.stdout, 'columns', {value: columns, configurable: true});
		Object.defineProperty(instance.stdout, 'rows', {value: rows, configurable: true});
		instance.stdout.emit('resize');
		await settle();
	};

	await resize(options.columns ?? 100, options.rows ?? 24);
	return {
		frame: () => instance.lastFrame() ?? '',
		async press(...inputs) {
			for (const input of inputs) {
				instance.stdin.write(input);
				await settle();
			}
		},
		resize,
		settle,
		quits: () => quits,
		unmount: () => instance.unmount(),
	};
}
