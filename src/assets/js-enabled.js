// Runs at the start of <body>: lets govuk-frontend's CSS style components for JavaScript (as its template's inline
// script would, which a strict Content Security Policy forbids).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
