import {useEffect, useReducer} from 'react';
import type {Confirmation} from '../sentinel/act/manual-action.js';

/** What is drawn over or instead of the table's surroundings. */
export type Overlay = {kind: 'none'} | {kind: 'help'} | {kind: 'filter'} | {kind: 'confirm'; confirmation: Confirmation};

/** Which screen is up, what lies over it, and the transient message. */
export type DashboardState = {
	screen: 'table' | 'detail';
	/** The job the detail view shows (its dir), fixed when the view opened. */
	detailDir: string | null;
	detailScroll: number;
	/** The evidence file shown in the detail view instead of the job (SPEC section 15), or null. */
	evidenceFile: string | null;
	overlay: Overlay;
	/** The latest action result; `id` tells one message from the next for clearing. */
	message: {id: number; text: string} | null;
};

/** Everything that changes the dashboard's screens and overlays. */
export type DashboardAction =
	| {type: 'openDetail'; dir: string}
	| {type: 'closeDetail'}
	| {type: 'scrollDetail'; by: number; max: number}
	| {type: 'openEvidence'; file: string}
	| {type: 'closeEvidence'}
	| {type: 'toggleHelp'}
	| {type: 'startFilter'}
	| {type: 'openConfirm'; confirmation: Confirmation}
	| {type: 'closeOverlay'}
	| {type: 'say'; text: string}
	| {type: 'clearMessage'; id: number};

/** The table, nothing over it, no message. */
export const initialDashboardState: DashboardState = {
	screen: 'table',
	detailDir: null,
	detailScroll: 0,
	evidenceFile: null,
	overlay: {kind: 'none'},
	message: null,
};

/** How long a message stays on the status line. */
export const messageMs = 10_000;

/** The pure reducer of the dashboard's screens and overlays. */
export function reduceDashboard(state: DashboardState, action: DashboardAction): DashboardState {
	switch (action.type) {
		case 'openDetail': {
			return {...state, screen: 'detail', detailDir: action.dir, detailScroll: 0, evidenceFile: null};
		}

		case 'closeDetail': {
			return {...state, screen: 'table', detailDir: null, detailScroll: 0, evidenceFile: null};
		}

		case 'openEvidence': {
			return {...state, evidenceFile: action.file, detailScroll: 0};
		}

		case 'closeEvidence': {
			return {...state, evidenceFile: null, detailScroll: 0};
		}

		case 'scrollDetail': {
			const scroll = Math.max(0, Math.min(action.max, state.detailScroll + action.by));
			return scroll === state.detailScroll ? state : {...state, detailScroll: scroll};
		}

		case 'toggleHelp': {
			return {...state, overlay: state.overlay.kind === 'help' ? {kind: 'none'} : {kind: 'help'}};
		}

		case 'startFilter': {
			return {...state, overlay: {kind: 'filter'}};
		}

		case 'openConfirm': {
			return {...state, overlay: {kind: 'confirm', confirmation: action.confirmation}};
		}

		case 'closeOverlay': {
			return state.overlay.kind === 'none' ? state : {...state, overlay: {kind: 'none'}};
		}

		case 'say': {
			return {...state, message: {id: (state.message?.id ?? 0) + 1, text: action.text}};
		}

		case 'clearMessage': {
			return state.message?.id === action.id ? {...state, message: null} : state;
		}
	}
}

/** The dashboard's state; a message clears itself after `messageMs`. */
export function useDashboardState() {
	const [state, dispatch] = useReducer(reduceDashboard, initialDashboardState);
	const messageId = state.message?.id;
	useEffect(() => {
		if (messageId === undefined) return;
		const timer = setTimeout(() => dispatch({type: 'clearMessage', id: messageId}), messageMs);
		return () => clearTimeout(timer);
	}, [messageId]);
	return [state, dispatch] as const;
}
