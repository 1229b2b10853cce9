/* refctl unset: remove fields of one advocate and commit (see set.c). */
#include "cmd.h"

int refctl__cmd_set_or_unset(int argc, char **argv, struct refctl_ctx *ctx, int unset);

int cmd_unset(int argc, char **argv, struct refctl_ctx *ctx)
{
	return refctl__cmd_set_or_unset(argc, argv, ctx, 1);
}
