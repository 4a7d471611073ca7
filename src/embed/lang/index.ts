// Every language's table, for the server (GET /embed/lang/CODE.json) and the tests. The embed bundles
// English only and fetches another language's table when a page asks for it.
import { ar } from './ar.js'
import { de } from './de.js'
import { en, type Strings } from './en.js'
import { es } from './es.js'
import { fr } from './fr.js'
import { it } from './it.js'
import { ja } from './ja.js'
import { nl } from './nl.js'
import { pl } from './pl.js'
import { pt } from './pt.js'
import { ru } from './ru.js'
import { zh } from './zh.js'

export const tables: Record<string, Strings> = { ar, de, en, es, fr, it, ja, nl, pl, pt, ru, zh }
