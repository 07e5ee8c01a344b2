/*
 * The e2e suite in its order: the workflow scenarios (a–d) build the ledger state that
 * the access (e) and phone-width (f) scenarios then look at; the admin pages (h) come last,
 * since they disable an account the others use; 绩效评价 (j) comes after the workflow, whose
 * paid award it may count. Importing the files here
 * registers their tests in this order, and node:test runs them one after another.
 */
import './workflow.test.mjs';
import './access.test.mjs';
import './mobile.test.mjs';
import './language.test.mjs';
import './plans.test.mjs';
import './performance.test.mjs';
import './admin.test.mjs';
