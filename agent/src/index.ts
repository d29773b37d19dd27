export { PROFILE_CONFIGMAP } from './profile-configmap.js';
