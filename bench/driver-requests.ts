/** Requests a driven core (core-driver.ts) answers itself, beside the contract's: kept apart so that importing them never starts a driver. */

/** The CPU the driver's process has used so far: its `process.cpuUsage()`, in microseconds. */
export const cpuUsageChannel = 'driver:cpuUsage';
