/// <reference types="vite/client" />
import type { RendererApi } from '../shared/contract';

declare global {
  interface Window {
    /** Built by the preload from the contract; the renderer's only way out. */
    readonly rolecall: RendererApi;
  }
}

export {};
