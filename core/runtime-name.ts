/**
 * A container runtime's name as dockerd registers it (`runtimes` keys in daemon.json: runsc, kata,
 * sysbox-runc). The repository config and the runner's settings both check names with it.
 */
export const RUNTIME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
