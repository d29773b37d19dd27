export { planReconcile, type ReconcilePlan, type SkippedConfigMap } from './plan.js';
export { startReconciler, type ReconcilerOptions, type RunningReconciler } from './reconciler.js';
