/* The FastCGI supervisor: written in the platform work. */
int
main(void)
{
	return 1;
}
