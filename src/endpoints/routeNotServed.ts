import type { Endpoint } from 'payload'

/**
 * An endpoint that answers 404 with a message: put in front of one of Payload's default routes
 * that this config does not serve, which Payload would otherwise run and answer with a 500.
 */
export const routeNotServed = (method: Endpoint['method'], path: string, message: string): Endpoint => ({
  method,
  path,
  handler: () => Response.json({ errors: [{ message }] }, { status: 404 }),
})
