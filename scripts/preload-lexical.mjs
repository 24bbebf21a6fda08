// Loaded with `node --import` before anything that reaches Payload's rich-text editor.
//
// Lexical's Node entry points are modules whose top-level await picks the dev or prod build with a
// dynamic import. On Node 20, when the module graph starts several of them at once, evaluation
// sometimes deadlocks: the process hangs, or exits with code 13 and prints nothing (seen here in
// about one start in five). Loading them one at a time, dependencies first, before the rest of
// the graph, leaves nothing for that race.
const LEXICAL_MODULES = [
  'lexical',
  '@lexical/utils',
  '@lexical/selection',
  '@lexical/clipboard',
  '@lexical/html',
  '@lexical/list',
  '@lexical/rich-text',
  '@lexical/table',
  '@lexical/dragon',
  '@lexical/extension',
  '@lexical/headless',
  '@lexical/link',
  '@lexical/mark',
  '@lexical/markdown',
  '@lexical/react/LexicalDecoratorBlockNode',
]

const keepAlive = setInterval(() => {}, 60_000)
for (const specifier of LEXICAL_MODULES) {
  try {
    await import(specifier)
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error
  }
}
clearInterval(keepAlive)
