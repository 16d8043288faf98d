// Module-resolution hooks, run by Node off the main thread (see fast-imports.ts).

type ResolveContext = {parentURL?: string; conditions: string[]; importAttributes: Record<string, string>};
type ResolveResult = {url: string; format?: string | null; shortCircuit?: boolean};
type NextResolve = (specifier: string, context: ResolveContext) => Promise<ResolveResult>;

/**
 * Three changes to what Ink 6.8 loads, each measured. Ink imports `throttle` from es-toolkit's
 * `compat` barrel, which loads 416 files (600 ms on Node 20's ESM loader); the one module that
 * defines it loads in a few. Ink's text measurement caches every string it ever saw, so a screen
 * whose clock and counters change grows it without end: measure-text.ts is the same function,
 * bounded. And Ink measures every text node of every frame with widest-line, whose grapheme
 * segmentation was the largest cost of a frame: widest-line.ts skips it for plain ASCII.
 * Anything unexpected falls through to the normal resolution.
 */
export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<ResolveResult> {
	if (specifier === 'es-toolkit/compat' && context.parentURL?.includes('/node_modules/ink/')) {
		try {
			const throttle = await nextResolve('es-toolkit/compat/throttle', context);
			const source = `export {default as throttle} from ${JSON.stringify(throttle.url)};`;
			return {url: `data:text/javascript,${encodeURIComponent(source)}`, shortCircuit: true};
		} catch {}
	}
	const fromInk = context.parentURL?.includes('/node_modules/ink/build/') ?? false;
	if (fromInk && specifier === './measure-text.js') return {url: new URL('measure-text.js', import.meta.url).href, shortCircuit: true};
	if (fromInk && specifier === 'widest-line') return {url: new URL('widest-line.js', import.meta.url).href, shortCircuit: true};
	return nextResolve(specifier, context);
}
