/** A one-line progress bar on stderr when it is a terminal; silent otherwise (logs, CI). */
export function progress(label: string, total: number): { tick(): void } {
  const tty = process.stderr.isTTY;
  let done = 0;
  const draw = (): void => {
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : width;
    process.stderr.write(`\r${label.padEnd(8)} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}`);
    if (done === total) process.stderr.write("\n");
  };
  if (tty && total) draw();
  return {
    tick() {
      done++;
      if (tty) draw();
    },
  };
}
