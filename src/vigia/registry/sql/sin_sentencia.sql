-- sin_sentencia (IOP.01.02): estancias abiertas en un EP en D sin fecha_sentencia <= D, entre la
-- poblacion de los EP en D, × 100; por sexo. Numerador: personas sin sentencia (procesadas);
-- denominador: poblacion. (Ver ocupacion.sql.)
SELECT fecha, codigo, sexo, sin_sentencia AS numerador, abiertas AS denominador
FROM ocupacion
WHERE tipo = 'EP'
