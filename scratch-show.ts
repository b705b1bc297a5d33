import { scenarioReport } from '#test/support/scenario-reports.ts';
import { renderTextParts } from './src/cli/render-text.ts';
const [name = 'coredns-loop', lang = 'en'] = process.argv.slice(2);
const r = await scenarioReport(name, lang as 'en' | 'ko');
const p = renderTextParts(r, { color: false });
console.log(p.firstScreen.join('\n'));
console.log(`=== first screen: ${p.firstScreen.length} lines ===`);
console.log(p.below.join('\n'));
