/** A JSON column's value as read by raw SQL: SQLite returns JSON columns as text, PostgreSQL's jsonb as objects. */
export const jsonColumnValue = (value: unknown): unknown => {
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value)
  } catch {
    return null
  }
}
