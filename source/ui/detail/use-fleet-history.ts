import {useEffect} from 'react';
import type {EngineHandle} from '../../sentinel/snapshot.js';

/** A fleet engine reads one job's recent CPU and memory from Prometheus while its detail view is open. */
type HistoryReader = {showHistory: (dir: string | null) => void};

function readsHistory(engine: EngineHandle): engine is EngineHandle & HistoryReader {
	return typeof (engine as Partial<HistoryReader>).showHistory === 'function';
}

/** Tell a fleet engine which job's detail view is open (null: none), so it asks for that job's history. */
export function useFleetHistory(engine: EngineHandle, dir: string | null): void {
	useEffect(() => {
		if (!readsHistory(engine)) return;
		engine.showHistory(dir);
		return () => engine.showHistory(null);
	}, [engine, dir]);
}
