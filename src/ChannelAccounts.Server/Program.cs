// The command line (serve, token) comes with the Web API; see README.md.
return 0;
