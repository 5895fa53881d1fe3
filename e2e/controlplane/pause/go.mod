module mpc-system.io/e2e/pause

go 1.26
