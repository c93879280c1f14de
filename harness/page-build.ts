import webpack from 'webpack'

/**
 * Builds a page from the current sources with webpack (`createVolunteerConfig` or `createDashboardConfig`
 * of webpack.config.ts, into a temporary directory); rejects with webpack's errors.
 */
export async function buildPage(config: webpack.Configuration): Promise<void> {
  const stats = await new Promise<webpack.Stats | undefined>((resolve, reject) => {
    const compiler = webpack(config)
    compiler.run((error, result) => {
      compiler.close(() => (error ? reject(error) : resolve(result)))
    })
  })
  if (stats?.hasErrors() !== false) throw new Error(stats?.toString('errors-only') ?? 'webpack failed')
}
