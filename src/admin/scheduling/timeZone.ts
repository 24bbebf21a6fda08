import type { Timezone, TimezonesConfig } from 'payload'

import { ConfigurationError } from '../../env'

/**
 * The site's time zone (`SITE_TIME_ZONE`, an IANA name such as `Europe/Berlin`; default UTC):
 * what scheduled publishing offers first and what the dashboard shows times in. A name the
 * runtime does not know stops the start instead of scheduling in the wrong zone.
 */
export const siteTimeZoneFromEnv = (env: Record<string, string | undefined> = process.env): string => {
  const name = env.SITE_TIME_ZONE?.trim() || 'UTC'
  try {
    // Canonical spelling (e.g. `europe/berlin` → `Europe/Berlin`); throws a RangeError for an unknown zone.
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone
  } catch {
    throw new ConfigurationError(`SITE_TIME_ZONE "${name}" is not a time zone name; use an IANA name such as "Europe/Berlin" or "UTC".`)
  }
}

/**
 * Payload's admin time zones with the site's as the default: its own list lacks some zones
 * (UTC among them), so the site's is added at the top when missing; without a default the
 * schedule drawer's picker reads "Select a value".
 */
export const adminTimezones = (siteTimeZone: string): TimezonesConfig => ({
  defaultTimezone: siteTimeZone,
  supportedTimezones: ({ defaultTimezones }: { defaultTimezones: Timezone[] }) =>
    defaultTimezones.some(({ value }) => value === siteTimeZone)
      ? defaultTimezones
      : [{ label: siteTimeZone, value: siteTimeZone }, ...defaultTimezones],
})

/** A time as editors read it: in the site's time zone, with the zone named. */
export const formatInTimeZone = (value: string | Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(new Date(value))
