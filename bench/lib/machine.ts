import { readFile } from "node:fs/promises";
import os from "node:os";

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  loadAverage: number[];
  node: string;
  platform: string;
  databases: Record<string, string>;
}

/** What the figures were measured on; a number without its machine means little. */
export async function describeMachine(databases: Record<string, string>): Promise<Machine> {
  let cpuModel = os.cpus()[0]?.model ?? "unknown";
  try {
    const info = await readFile("/proc/cpuinfo", "utf8");
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? cpuModel;
  } catch {
    // Not Linux: os.cpus() is the best we have.
  }
  return {
    cores: os.availableParallelism(),
    cpuModel,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    // Recorded because the machine is shared: a high load explains a slow run.
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    databases,
  };
}
