import { useCallback, useSyncExternalStore } from 'react';
/** The engine's latest snapshot; the component renders again only when the engine publishes a new one. */
export function useEngineSnapshot(engine) {
    const subscribe = useCallback((listener) => engine.subscribe(listener), [engine]);
    const getSnapshot = useCallback(() => engine.getSnapshot(), [engine]);
    return useSyncExternalStore(subscribe, getSnapshot);
}
