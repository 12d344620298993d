import { describe, expect, it } from 'vitest';
import { boundsToRestore } from '../../src/main/window-bounds';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const external = { x: 1440, y: 0, width: 2560, height: 1415 };

describe('boundsToRestore', () => {
  it('restores a place that is still on a display', () => {
    expect(boundsToRestore({ x: 100, y: 80, width: 960, height: 680 }, [laptop])).toEqual({ x: 100, y: 80, width: 960, height: 680 });
    expect(boundsToRestore({ x: 2000, y: 200, width: 1200, height: 900 }, [laptop, external])).toEqual({ x: 2000, y: 200, width: 1200, height: 900 });
  });

  it('forgets a place on a display that is gone, or barely visible', () => {
    expect(boundsToRestore({ x: 2000, y: 200, width: 1200, height: 900 }, [laptop])).toBeUndefined();
    expect(boundsToRestore({ x: 1400, y: 800, width: 960, height: 680 }, [laptop])).toBeUndefined();
  });

  it('shrinks a window larger than the display it is on', () => {
    expect(boundsToRestore({ x: 0, y: 0, width: 2400, height: 1300 }, [laptop])).toEqual({ x: 0, y: 0, width: 1440, height: 875 });
  });

  it('ignores saved values that are not whole-number bounds', () => {
    for (const saved of [undefined, null, 'big', { x: 0, y: 0, width: 0, height: 600 }, { x: 0, y: 0, width: 800 }, { x: 0.5, y: 0, width: 800, height: 600 }]) {
      expect(boundsToRestore(saved, [laptop])).toBeUndefined();
    }
  });
});
