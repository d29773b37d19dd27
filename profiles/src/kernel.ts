// Temporary stubs; replaced by the real implementation. Signatures are the contract.
import type { Action } from './model.js';

const todo = (): never => {
  throw new Error('not implemented yet');
};

export interface DecodedCode { action: Action; errno?: number }
export function actionFromCode(_code: number): DecodedCode { return todo(); }
