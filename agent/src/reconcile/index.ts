export { planReconcile, type ReconcilePlan, type SkippedConfigMap } from './plan.js';
export { startReconciler, type ReconcilerOptions } from './reconciler.js';
