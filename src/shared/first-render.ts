// Names of the window's Performance API entries for its first list (renderer/first-render.ts makes
// them; the renderer benchmark and the browser tests read them).
export const STATE_RECEIVED = 'rolecall:state-received';
export const LIST_COMMITTED = 'rolecall:list-committed';
export const LIST_PAINTED = 'rolecall:list-painted';
export const FIRST_RENDER = 'rolecall:first-render';
