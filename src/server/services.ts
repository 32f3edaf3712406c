import type { FastifyBaseLogger } from "fastify";
import type { Config } from "./config.ts";
import type { Clock } from "./clock.ts";
import type { Store } from "./db/connect.ts";
import { accountsRepo } from "./accounts/accounts-repo.ts";
import { contactsService } from "./contacts/contacts-service.ts";
import { fieldsService } from "./fields/fields-service.ts";
import { listsService } from "./lists/lists-service.ts";
import { importsService } from "./imports/imports-service.ts";
import { exportsService } from "./exports/exports-service.ts";
import { templatesService } from "./templates/templates-service.ts";
import { idempotency } from "./idempotency/idempotency.ts";
import { jobRunner, type JobRunner } from "./jobs/job-runner.ts";

/** Wires every service over one store; nothing here starts work or listens. */
export function createServices(store: Store, config: Config, clock: Clock, log: FastifyBaseLogger) {
  let jobs: JobRunner | undefined;
  const kick = () => jobs?.kick();
  const imports = importsService(store, clock, { maxContacts: config.maxContacts, onQueued: kick });
  const exports = exportsService(store, clock, { publicUrl: config.publicUrl, onQueued: kick });
  jobs = jobRunner(store, clock, [imports.handler, exports.handler], log);
  return {
    accounts: accountsRepo(store, clock),
    contacts: contactsService(store, clock, { maxContacts: config.maxContacts }),
    fields: fieldsService(store, clock, { maxFields: config.maxFields }),
    lists: listsService(store, clock),
    templates: templatesService(store, clock),
    imports,
    exports,
    idempotency: idempotency(store, clock),
    jobs,
  };
}

export type Services = ReturnType<typeof createServices>;
