// A one-line progress bar on an interactive terminal (stderr); silent when output goes to a file or CI.

const WIDTH = 30

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const active = Boolean(stream.isTTY)
  let drawn = false
  return {
    update(done: number, total: number) {
      if (!active || total === 0) return
      const filled = Math.round((done / total) * WIDTH)
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total}`)
      drawn = true
    },
    done() {
      if (drawn) stream.write('\n')
    },
  }
}
