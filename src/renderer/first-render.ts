// The window's own time to its first list, with the Performance API: from the agent's state arriving
// (before React sees it) to the first frame painted with the rows in it. Benchmarks and the browser
// tests read the measure; the transport that brought the state (IPC, or a test bridge) is not in it.
import { FIRST_RENDER, LIST_COMMITTED, LIST_PAINTED, STATE_RECEIVED } from '../shared/first-render';

let stateReceived = false;
let listPainted = false;

/** The first state answer is in hand. */
export function markStateReceived(): void {
  if (stateReceived) return;
  stateReceived = true;
  performance.mark(STATE_RECEIVED);
}

/** Called once the list's rows are in the DOM; measures when the frame that shows them has been painted. */
export function markListRendered(): void {
  if (listPainted || !stateReceived) return;
  listPainted = true;
  performance.mark(LIST_COMMITTED);
  // A task queued from an animation frame runs after that frame's paint.
  requestAnimationFrame(() =>
    setTimeout(() => {
      performance.mark(LIST_PAINTED);
      performance.measure(FIRST_RENDER, STATE_RECEIVED, LIST_PAINTED);
    }),
  );
}
