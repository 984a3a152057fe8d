import { join } from 'node:path';
import type { Database } from '../db/client';
import type { OperationTimings } from '../modules/ops/timings';
import { importGias } from './gias.importer';
import { importGiasGroups } from './gias-groups.importer';
import { importGiasLinks } from './gias-links.importer';
import { importMeasures } from './measures.importer';
import { importCensus } from './census.importer';
import { FamiliesService } from '../modules/families/families.service';
import { loadDemoCaseStudies } from './demo-content';
import { loadDemoBrokerage } from './demo-brokerage';
import { loadDemoNetworks, loadDemoPartnerships } from './demo-partnerships';

/**
 * Loads the committed sample (data/sample) through the same importers a user runs, in the order they depend on
 * each other: groups, establishments, links, measures; then every school's family under each preset model. Their
 * durations go to `timings` (the server's metrics) when given.
 */
export async function loadSample(database: Database, sampleDir: string, log: (message: string) => void = () => {}, timings?: OperationTimings): Promise<void> {
  const options = { timings };
  const groups = await importGiasGroups(database, join(sampleDir, 'gias/allgroupsdata.csv'), options);
  log(`sample: ${groups.rows} GIAS groups`);
  const schools = await importGias(database, join(sampleDir, 'gias/edubasealldata.csv'), options);
  log(`sample: ${schools.rows} GIAS establishments`);
  const links = await importGiasLinks(database, join(sampleDir, 'gias/links.csv'), options);
  log(`sample: ${links.rows} GIAS links`);
  const measures = await importMeasures(database, join(sampleDir, 'measures'), options);
  log(`sample: ${measures.values} measure values, ${measures.similarityInputs} similar-school inputs`);
  const census = await importCensus(database, join(sampleDir, 'census/spc-school-level-2022-23.csv'), options);
  log(`sample: ${census.rows} schools from the January 2023 census`);
  for (const built of await new FamiliesService(database, timings).rebuild()) {
    log(`sample: families under ${built.model} for ${built.population} schools in ${built.milliseconds} ms`);
  }
  await loadDemoCaseStudies(database, log);
  await loadDemoBrokerage(database, log);
  await loadDemoPartnerships(database, log);
  await loadDemoNetworks(database, log);
}
