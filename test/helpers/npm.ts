import { spawn } from 'node:child_process'

export type NpmRun = { code: number | null; stdout: string; stderr: string }

/** `npm run <script> -- <args>` as a user types it: production mode, settings in `env`. */
export const npmRun = (script: string, args: string[], env: Record<string, string> = {}): Promise<NpmRun> =>
  new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
      cwd: process.cwd(),
      env: { ...process.env, NODE_ENV: 'production', NODE_OPTIONS: '', LOG_LEVEL: 'warn', ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
