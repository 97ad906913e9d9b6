/* placeholder replaced below */
#include "sweep.h"
int sweep_plot_main(int argc, char **argv) { (void)argc; (void)argv; return 2; }
