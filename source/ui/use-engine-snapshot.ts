import {useCallback, useSyncExternalStore} from 'react';
import type {EngineHandle, Snapshot} from '../sentinel/snapshot.js';

/** The engine's latest snapshot; the component renders again only when the engine publishes a new one. */
export function useEngineSnapshot(engine: EngineHandle): Snapshot {
	const subscribe = useCallback((listener: () => void) => engine.subscribe(listener), [engine]);
	const getSnapshot = useCallback(() => engine.getSnapshot(), [engine]);
	return useSyncExternalStore(subscribe, getSnapshot);
}
