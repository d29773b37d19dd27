export { planReconcile, reconcileProblems, type ReconcilePlan, type SkippedConfigMap } from './plan.js';
export { startReconciler, type ReconcilerOptions, type ReconcileStatus, type RunningReconciler } from './reconciler.js';
