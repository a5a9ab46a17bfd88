// placeholder, replaced by the HTTP server
