// Progressive enhancement: govuk-frontend's components (conditional reveals, error summary focus, buttons).
import { initAll } from '/assets/govuk-frontend/govuk-frontend.min.js';
initAll();
