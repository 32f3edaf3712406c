import type { Locator, Page } from "playwright-core";

/**
 * Drives the automation builder through the UI only (clicks, selects, typing), as a person
 * would. Each "+" on the canvas is found by its accessible name ("Add step after s2",
 * "Add step on Yes branch of s3"); the step a click created is read from the side panel
 * that opens on it, so nothing here assumes which ids the builder hands out.
 */

function panel(page: Page): Locator {
  return page.getByTestId("step-panel");
}

async function poll<T>(what: string, read: () => Promise<T | null>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Clicks the "+" named `button`, picks `item` in the menu, and answers the new step's id. */
export async function addStep(page: Page, button: string, item: string): Promise<string> {
  const title = page.getByTestId("panel-title");
  const before = (await title.count()) > 0 ? await title.getAttribute("data-step-id") : null;
  await page.getByRole("button", { name: button, exact: true }).click();
  await page.getByRole("menu", { name: button }).getByRole("menuitem", { name: item, exact: true }).click();
  return poll(`a new ${item} step`, async () => {
    const id = (await title.count()) > 0 ? await title.getAttribute("data-step-id") : null;
    return id && id !== "trigger" && id !== before ? id : null;
  });
}

/** Sets a control to `value`: picks the option of a select, types into anything else. */
async function setValue(control: Locator, value: string): Promise<void> {
  const tag = await control.evaluate((el) => el.tagName);
  if (tag === "SELECT") await control.selectOption(value);
  else await control.fill(value);
}

/** Waits until the draft's autosave has caught up with every edit ("Saved"). */
export async function waitForAutosave(page: Page): Promise<void> {
  const state = page.getByTestId("save-state");
  await poll("the autosave", async () => ((await state.textContent()) === "Saved" ? true : null));
}

/**
 * On an open draft automation's builder page: trigger contact_created → send_email
 * (`templateName`) → delay 2 days → condition on `fieldMergeTag` equals `fieldValue`;
 * Yes: send_email (`secondTemplateName`); No: add to `listName`. Returns once autosaved.
 */
export async function buildWelcomeSeries(
  page: Page,
  names: { templateName: string; secondTemplateName: string; fieldMergeTag: string; fieldValue: string; listName: string },
): Promise<void> {
  await page.getByTestId("flow-node-trigger").click();
  await panel(page).getByLabel("Trigger", { exact: true }).selectOption("contact_created");

  const email = await addStep(page, "Add step after trigger", "Send email");
  await panel(page).getByLabel("Email", { exact: true }).selectOption({ label: names.templateName });

  const delay = await addStep(page, `Add step after ${email}`, "Delay");
  await panel(page).getByLabel("Wait", { exact: true }).fill("2");
  await panel(page).getByLabel("Unit", { exact: true }).selectOption("days");

  const condition = await addStep(page, `Add step after ${delay}`, "Condition");
  await panel(page).getByLabel("Rule kind", { exact: true }).selectOption("field");
  await panel(page).getByLabel("Field", { exact: true }).selectOption(names.fieldMergeTag);
  await panel(page).getByLabel("Operator", { exact: true }).selectOption("eq");
  await setValue(panel(page).getByLabel("Value", { exact: true }), names.fieldValue);

  await addStep(page, `Add step on Yes branch of ${condition}`, "Send email");
  await panel(page).getByLabel("Email", { exact: true }).selectOption({ label: names.secondTemplateName });

  await addStep(page, `Add step on No branch of ${condition}`, "Add to lists");
  await panel(page).getByLabel(names.listName, { exact: true }).check();

  await waitForAutosave(page);
}
