/** The page served at `/` when the web app has not been built: no scripts, no inline styles. */
export const BUILTIN_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>prrt</title>
</head>
<body>
<h1>prrt</h1>
<p>The prrt API is running. The web application is not installed on this server.</p>
<ul>
<li><a href="/api/health">/api/health</a>: server status</li>
<li><a href="/api/docs">/api/docs</a>: the OpenAPI description of the API</li>
</ul>
</body>
</html>
`;
